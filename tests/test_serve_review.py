"""The review of drafts in `python build.py serve`, over HTTP: the controls are on the server's answers
only (never in the built files), the endpoint refuses requests without the token, from other sites or
for files outside the corpus, and a good decision writes the record and rebuilds the site (the same in
Chromium: tests/browser/test_serve_review.py)."""
from __future__ import annotations

import http.client
import json
import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from review_draft import DRAFT_ID, add_draft
from serving import QN_2021, REPO, Served

from sitegen.pipeline import build
from sitegen.serve_review import version

DRAFT_PAGE = f"plans/{DRAFT_ID}.html"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def review_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="serve-review-data">(.*?)</script>', page)
    assert m, "no review data on the page"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One server for the module, on a copy of the corpus with a draft (its decisions build on each other)."""
    tmp = tmp_path_factory.mktemp("review")
    source = tmp / "source" / "corpus"
    shutil.copytree(REPO / "corpus", source)
    add_draft(source)
    server = Served(tmp / "run", corpus=source, extra=("--no-search",))
    yield server
    server.close()


class Poster:
    """POSTs to the review endpoint as the server's own page does, with parts of it changed."""

    def __init__(self, served: Served):
        self.served = served
        self.port = int(served.url.rsplit(":", 1)[1].strip("/"))
        self.token = review_data(served.page(DRAFT_PAGE))["token"]

    def headers(self, **changed) -> dict:
        base = {"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{self.port}",
                "X-Review-Token": self.token, "Sec-Fetch-Site": "same-origin"}
        base.update(changed)
        return {k: v for k, v in base.items() if v is not None}

    def post(self, request: dict | bytes, **headers) -> tuple[int, dict]:
        body = request if isinstance(request, bytes) else json.dumps(
            {"plan": DRAFT_ID, "version": version(self.served.corpus, DRAFT_ID)} | request).encode()
        req = urllib.request.Request(self.served.url + "__serve__/review", data=body, method="POST",
                                     headers=self.headers(**headers))
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def decide(self, request: dict) -> dict:
        """A good decision: 200, then the rebuild it causes (a build started after the write, finished)."""
        offset = len(self.served.output())
        status, answer = self.post(request)
        assert status == 200 and answer["ok"], answer
        name = Path(answer["written"][0]).name

        def rebuilt() -> bool:
            text = self.served.output()[offset:]
            at = text.find("Building (changed: ")
            while at >= 0 and name not in text[at:text.find("\n", at)]:
                at = text.find("Building (changed: ", at + 1)
            return at >= 0 and ("Built in" in text[at:] or "Build failed" in text[at:])

        self.served.wait_until(rebuilt, 60, f"the rebuild after {name} was written")
        assert self.served.status()["ok"], self.served.status()["error"]
        return answer


@pytest.fixture(scope="module")
def poster(served):
    return Poster(served)


def data_of(served) -> dict:
    return yaml.safe_load((served.corpus / "plans" / f"{DRAFT_ID}.yaml").read_text(encoding="utf-8"))


def test_the_controls_are_on_the_servers_answers_only(served, tmp_path):
    page = served.page(DRAFT_PAGE)
    data = review_data(page)
    assert len(data["token"]) >= 40 and data["plan"] == DRAFT_ID and data["lang"] == "vi"
    assert data["corpus"] == str(served.corpus)
    assert [c["id"] for c in data["items"]["candidates"]] == ["t01", "t02", "t03", "t04"]
    assert data["strings"]["review_accept"] == "Chấp nhận"
    assert '<script src="/__serve__/review.js" defer></script>' in page
    en = review_data(served.page(f"en/{DRAFT_PAGE}"))
    assert en["lang"] == "en" and en["strings"]["review_accept"] == "Accept" and en["token"] == data["token"]
    status, headers, js = served.get("__serve__/review.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and b"serve-review-data" in js
    # Under another Host (a DNS-rebound name), the page carries no token.
    port = int(served.url.rsplit(":", 1)[1].strip("/"))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/" + DRAFT_PAGE, headers={"Host": f"evil.example:{port}"})
    rebound = conn.getresponse().read().decode()
    conn.close()
    assert DRAFT_ID in rebound and data["token"] not in rebound and "serve-review" not in rebound
    # A reviewed plan's page and other pages have no controls.
    for other in (f"plans/{QN_2021}.html", "", "plans/"):
        assert "serve-review" not in served.page(other) and data["token"] not in served.page(other)
    # On disk: exactly a normal build, with nothing of the review in it.
    disk = snapshot(served.out)
    normal = tmp_path / "normal"
    build(served.corpus, normal, search=False)
    assert disk == snapshot(normal)
    token = data["token"].encode()
    assert not [name for name, body in disk.items()
                if token in body or b"serve-review" in body or b"__serve__" in body or b"review.js" in body]
    assert "review.js" not in {Path(n).name for n in disk}


@pytest.mark.parametrize("headers, status, why", [
    ({"X-Review-Token": None}, 403, "token is missing or wrong"),
    ({"X-Review-Token": "x" * 43}, 403, "token is missing or wrong"),
    ({"Origin": "http://evil.example"}, 403, "(Origin)"),
    ({"Origin": None}, 403, "(Origin)"),
    ({"Origin": "http://127.0.0.1:1"}, 403, "(Origin)"),
    ({"Sec-Fetch-Site": "cross-site"}, 403, "another site"),
    ({"Host": "evil.example"}, 403, "is not this server's"),
    ({"Content-Type": "text/plain"}, 415, "application/json"),
    ({"Content-Type": "application/x-www-form-urlencoded"}, 415, "application/json"),
])
def test_requests_without_the_token_from_other_sites_or_not_json_are_refused(served, poster, headers, status, why):
    before = snapshot(served.corpus)
    got, answer = poster.post({"op": "accept", "item": "candidate", "id": "t01"}, **headers)
    assert got == status and not answer["ok"] and why in answer["errors"][0], answer
    assert snapshot(served.corpus) == before


def test_paths_outside_the_corpus_and_bad_requests_are_refused(served, poster, tmp_path):
    before = snapshot(served.corpus)
    outside = tmp_path / "outside"
    outside.mkdir()
    for suffix in (".md", ".yaml"):
        shutil.copy(served.corpus / "plans" / f"{DRAFT_ID}{suffix}", outside / f"x{suffix}")
    link = served.corpus / "plans" / "linked.md"
    try:
        link.symlink_to(outside / "x.md")
        (served.corpus / "plans" / "linked.yaml").symlink_to(outside / "x.yaml")
        for plan in ("../../outside/x", "/etc/passwd", "linked", "nope", None):
            status, answer = poster.post(json.dumps({"plan": plan, "version": "", "op": "accept", "item": "field",
                                                     "id": "title"}).encode())
            assert status == 400 and not answer["ok"], (plan, answer)
        assert (outside / "x.md").read_bytes() == (served.corpus / "plans" / f"{DRAFT_ID}.md").read_bytes()
    finally:
        link.unlink()
        (served.corpus / "plans" / "linked.yaml").unlink()
    for body, status in ((b"{not json", 400), (b"[1]", 400),
                         (json.dumps({"plan": DRAFT_ID, "version": "old", "op": "done"}).encode(), 409)):
        assert poster.post(body)[0] == status
    assert poster.post({"op": "explode"})[0] == 400
    assert poster.post({"op": "done"}) == (400, {"ok": False, "errors": [f"{DRAFT_ID}: 9 item(s) are still "
                                                                          "open: review them first."]})
    # An edit the build would refuse: nothing is written, the build's message is returned.
    status, answer = poster.post({"op": "edit", "item": "candidate", "id": "t01", "changes": {"value": 90}})
    assert status == 422 and "90 does not appear in its quote" in answer["errors"][0]
    assert snapshot(served.corpus) == before


def test_accept_reject_and_edit_write_the_record_and_rebuild(served, poster):
    answer = poster.decide({"op": "reject", "item": "candidate", "id": "t02"})
    assert answer["written"] == [str(served.corpus / "plans" / f"{DRAFT_ID}.yaml")]
    assert [t["id"] for t in data_of(served)["targets"]] == ["t01", "t03", "t04"]
    page = served.page(DRAFT_PAGE)
    assert 'data-for="t02"' not in page and 'data-for="t03" title="t03: 200' in page
    poster.decide({"op": "edit", "item": "candidate", "id": "t03", "changes": {"value": 300}})
    t03 = data_of(served)["targets"][1]
    assert t03["value"] == 300 and "confidence" not in t03 and "note" not in t03
    assert 'data-for="t03" title="t03: 300' in served.page(DRAFT_PAGE)
    poster.decide({"op": "accept", "item": "candidate", "id": "t01"})
    answer = poster.decide({"op": "accept", "item": "candidate", "id": "t04"})
    assert answer["left"] == 5
    assert "  confidence:" not in (served.corpus / "plans" / f"{DRAFT_ID}.yaml").read_text(encoding="utf-8")
    md = (served.corpus / "plans" / f"{DRAFT_ID}.md").read_text(encoding="utf-8")
    assert "\n- targets\n" not in md, "the last candidate closed the targets entry"
    assert [c["id"] for c in review_data(served.page(DRAFT_PAGE))["items"]["candidates"]] == []


def test_the_record_is_marked_reviewed_only_when_the_strict_build_passes(served, poster):
    for candidate in review_data(served.page(DRAFT_PAGE))["items"]["candidates"]:  # when run alone
        verb = "reject" if candidate["id"] == "t03" else "accept"  # its value is wrong
        poster.decide({"op": verb, "item": "candidate", "id": candidate["id"]})
    for key in ("title", "issuer", "period", "themes", "citations"):
        item = "field" if key in ("title", "issuer", "period") else "entry"
        poster.decide({"op": "accept", "item": item, "id": key})
    yaml_path = served.corpus / "plans" / f"{DRAFT_ID}.yaml"
    good = yaml_path.read_text(encoding="utf-8")
    # A note without its English: a warning, which the strict build refuses.
    yaml_path.write_text(good.replace("  quote: Phấn đấu 100%", "  note: Ghi chú.\n  quote: Phấn đấu 100%", 1),
                         encoding="utf-8")
    served.wait_until(lambda: "Ghi chú." in served.page(DRAFT_PAGE), 60, "the rebuild")
    status, answer = poster.post({"op": "done"})
    assert status == 422 and any("note_en" in e for e in answer["errors"]), answer
    assert "status: draft" in (served.corpus / "plans" / f"{DRAFT_ID}.md").read_text(encoding="utf-8")
    yaml_path.write_text(good, encoding="utf-8")
    served.wait_until(lambda: "Ghi chú." not in served.page(DRAFT_PAGE), 60, "the rebuild")
    answer = poster.decide({"op": "done"})
    assert answer["reviewed"] is True
    md = (served.corpus / "plans" / f"{DRAFT_ID}.md").read_text(encoding="utf-8")
    assert "status: draft" not in md and "review:" not in md
    page = served.page(DRAFT_PAGE)
    assert "Bản nháp, chưa rà soát" not in page and "serve-review" not in page
    assert f"{DRAFT_ID}.html" in served.page("")  # now a plan of the site: on the home page's grid
