"""The preview server's review of drafts: what `python build.py serve` adds to a draft's plan page
(the open items as JSON and a same-origin script), and its one POST endpoint that writes a
reviewer's decision into the record's files.

Only the server's answers carry any of it: the built files are never touched (sitegen/serve.py adds
it to the HTML it sends, like its reload script). The endpoint answers only requests that

- come to 127.0.0.1 under the server's own Host (a DNS-rebound name is refused),
- come from the server's own pages (Origin, and Sec-Fetch-Site where the browser sends it),
- carry the token made when the server started (compared in constant time), which only the
  server's pages hold,
- are JSON (a cross-site HTML form cannot send that type without a CORS preflight, never granted),

and writes nothing but the named record's .md and .yaml inside the corpus's plans folder
(sitegen.ingest.review_edit.record_paths). Before writing, the changed record is checked by the
build itself (sitegen.pipeline.gather on a copy of the corpus): an edit may not add an error,
and marking a record reviewed must pass the strict build, whose errors are shown on the page.
The watcher then sees the change and rebuilds; the page reloads with the result.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
from pathlib import Path

from .i18n import strings
from .ingest.review_edit import (COMPARATORS, ReviewError, Record, apply, corpus_lookups, found_citations,
                                 open_items, parse_record, read_record, record_paths, render, write_record)
from .pipeline import BuildError, gather

PREFIX = "/__serve__/"
ENDPOINT = PREFIX + "review"
SCRIPT = PREFIX + "review.js"
SCRIPT_FILE = Path(__file__).resolve().parent / "assets" / "review.js"  # not in render.STATIC: never published
PLAN_PAGE = re.compile(r"^/(?:(en)/)?plans/([a-z][a-z0-9-]*)\.html$")


def version(corpus: Path, plan_id: str) -> str:
    """A digest of the record's two files: a decision made on an older page is refused."""
    md, data = record_paths(corpus, plan_id)
    return hashlib.sha256(md.read_bytes() + b"\0" + data.read_bytes()).hexdigest()[:16]


def _json_in_html(data: dict) -> str:
    """JSON that cannot end its <script> element, nor start a comment or an entity."""
    return (json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _problems(root: Path) -> list:
    """Every problem the build finds in a corpus folder (errors and warnings)."""
    try:
        return list(gather(root).problems)
    except BuildError as exc:
        return list(exc.problems)


def _only(corpus: Path, rec: Record):
    """copytree's `ignore` keeping, of the plans and sources, only the record's own files."""
    plans, sources = corpus / "plans", corpus / "sources"
    source = Path(str(rec.front.get("source_file") or "")).name

    def ignore(folder: str, names: list[str]) -> set[str]:
        if Path(folder) == plans:
            return {n for n in names if n not in (f"{rec.plan_id}.md", f"{rec.plan_id}.yaml")}
        if Path(folder) == sources:
            return {n for n in names if n != source}
        return set()
    return ignore


def check(corpus: Path, rec: Record, *, strict: bool) -> list[str]:
    """What the build would say against the record as changed, [] when fine.

    An edit (strict=False) may add no error to the record: the build checks a corpus of its lookup
    tables and the record alone (a draft's checks involve no other plan, and so a decision on a large
    corpus takes as long as on a small one). Marking it reviewed (strict=True) checks the whole corpus
    as `python build.py --strict` would: every problem of the record, and any the change adds
    elsewhere (its citations are linked to the registry from then on)."""
    corpus = Path(corpus)
    own = (f"plans/{rec.plan_id}.md", f"plans/{rec.plan_id}.yaml")
    with tempfile.TemporaryDirectory(prefix="serve-review-") as tmp:
        root = Path(tmp) / corpus.name  # the same name: the build's messages name the same files
        # Hard links where possible (a large corpus is not copied); the two changed files are new files,
        # never written through a link into the real corpus.
        shutil.copytree(corpus, root, copy_function=_link_or_copy, ignore=None if strict else _only(corpus, rec))
        md, data = root / "plans" / f"{rec.plan_id}.md", root / "plans" / f"{rec.plan_id}.yaml"
        for path, text in zip((md, data), render(rec)):
            path.unlink()
            path.write_text(text, encoding="utf-8")
        after = _problems(root)
    if not strict:
        return [str(p) for p in after if p.severity == "error" and p.file.endswith(own)]
    elsewhere = {str(p) for p in after if not p.file.endswith(own)}
    before = {str(p) for p in _problems(corpus)} if elsewhere else set()
    return [str(p) for p in after if p.file.endswith(own) or str(p) not in before]


def _hosts(port: int) -> set[str]:
    """The Host headers of requests to this server."""
    return {f"127.0.0.1:{port}", f"localhost:{port}"}


class Reviewer:
    """The review of the drafts of one corpus, for one server run (its token lives as long as it)."""

    def __init__(self, corpus: Path):
        self.corpus = Path(corpus)
        self.token = secrets.token_urlsafe(32)
        self._lock = threading.Lock()  # one decision at a time: each reads, changes and writes a record

    # ------------------------------------------------------------ the page

    def page(self, url_path: str, page: bytes, host: str, port: int) -> bytes:
        """A plan page as served: a draft's gains its open items and the review script, when asked
        for under the server's own Host (a DNS-rebound name never sees the token)."""
        m = PLAN_PAGE.match(url_path)
        if not m or host not in _hosts(port):
            return page
        try:
            rec = read_record(self.corpus, m[2])
        except ReviewError:
            return page
        if not rec.is_draft:
            return page
        lang = m[1] or "vi"
        tags = (f'<script type="application/json" id="serve-review-data">{_json_in_html(self._data(rec, lang))}'
                f'</script><script src="{SCRIPT}" defer></script>').encode()
        head = re.search(rb"</head\s*>", page, re.I)
        return page[:head.start()] + tags + page[head.start():] if head else tags + page

    def _data(self, rec: Record, lang: str) -> dict:
        lookups, names = corpus_lookups(self.corpus)

        def labels(table) -> list[list[str]]:
            return [[k, getattr(v, lang, None) or v.vi] for k, v in table.items()]

        return {"token": self.token, "endpoint": ENDPOINT, "plan": rec.plan_id, "lang": lang,
                "version": version(self.corpus, rec.plan_id), "corpus": str(self.corpus),
                "items": open_items(rec, found_citations(rec, names)),
                "choices": {"category": labels(lookups.categories), "subject": labels(lookups.subjects),
                            "unit": labels(lookups.units), "comparator": [[c, c] for c in COMPARATORS]},
                "strings": {k: v for k, v in strings(lang).items() if k.startswith("review_")}}

    # ------------------------------------------------------------ the endpoint

    def refusal(self, headers, port: int) -> str:
        """Why a POST is refused (403) before its body is read, or ""."""
        host = headers.get("Host", "")
        if host not in _hosts(port):
            return f"the Host {host!r} is not this server's"
        origin = headers.get("Origin")
        if origin != f"http://{host}":
            return "the request does not come from this server's pages (Origin)"
        site = headers.get("Sec-Fetch-Site")
        if site is not None and site != "same-origin":
            return f"the request comes from another site (Sec-Fetch-Site: {site})"
        token = headers.get("X-Review-Token") or ""
        if not hmac.compare_digest(token.encode("utf-8", "replace"), self.token.encode()):
            return "the review token is missing or wrong (reload the page)"
        return ""

    def post(self, headers, body: bytes, port: int) -> tuple[int, dict]:
        """Answer one decision: (HTTP status, JSON object)."""
        refusal = self.refusal(headers, port)
        if refusal:
            return 403, {"ok": False, "errors": [f"Refused: {refusal}."]}
        kind = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind != "application/json":
            return 415, {"ok": False, "errors": ["Refused: the request must be application/json."]}
        try:
            request = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return 400, {"ok": False, "errors": [f"The request is not JSON: {exc}."]}
        if not isinstance(request, dict):
            return 400, {"ok": False, "errors": ["The request must be a JSON object."]}
        with self._lock:
            return self._decide(request)

    def _decide(self, request: dict) -> tuple[int, dict]:
        plan_id = request.get("plan")
        try:
            paths = record_paths(self.corpus, plan_id)
            if request.get("version") != version(self.corpus, plan_id):
                return 409, {"ok": False, "errors": [f"{plan_id}: the record changed since this page was "
                                                     "loaded: reload the page and decide again."]}
            rec = read_record(self.corpus, plan_id)
            changed = apply(rec, request)
        except ReviewError as exc:
            return 400, {"ok": False, "errors": [str(exc)]}
        strict = request.get("op") == "done"
        errors = check(self.corpus, changed, strict=strict)
        if errors:
            return 422, {"ok": False, "errors": errors}
        try:
            written = write_record(self.corpus, changed)
        except (OSError, ReviewError) as exc:
            return 500, {"ok": False, "errors": [f"{paths[0]}: cannot be written ({exc})."]}
        return 200, {"ok": True, "written": [str(p) for p in written],
                     "left": open_items(parse_record(plan_id, *render(changed)))["left"],
                     "reviewed": not changed.is_draft}


__all__ = ["Reviewer", "check", "version", "ENDPOINT", "SCRIPT", "SCRIPT_FILE"]
