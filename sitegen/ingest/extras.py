"""The qualitative parts of a draft: themes, commitments and tasks by agency, each with its quote.

Themes and commitments come from the cue table (cues.yaml); tasks from paragraphs that name an
agency of corpus/agencies.yaml (by any alias) as their heading ("a) Công an tỉnh",
"Đối với Sở Y tế:", "Sở Y tế: ...") or as the subject of "chủ trì".
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..textutil import fold

CUES_FILE = Path(__file__).with_name("cues.yaml")


def load_cues(path: Path = CUES_FILE) -> dict:
    """The cue table: subjects, categories, themes, commitments -> id -> phrases."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def check_cues(cues: dict, lookups) -> list[str]:
    """Cue ids missing from their lookup table (each a warning ingest prints)."""
    tables = {"subjects": lookups.subjects, "categories": lookups.categories, "themes": lookups.themes,
              "commitments": lookups.commitment_kinds}
    return [f"sitegen/ingest/cues.yaml: {section}.{ident} is not in corpus/"
            f"{'taxonomy' if section == 'categories' else section}.yaml"
            for section, table in tables.items() for ident in sorted(cues.get(section, {})) if ident not in table]


def _find(phrase: str, text: str) -> re.Match | None:
    pattern = r"\s+".join(map(re.escape, phrase.split()))
    return re.search(rf"(?<![^\W_]){pattern}(?![^\W_])", text, re.I)


def themes(paragraphs: list[str], cues: dict) -> list[dict]:
    """Each theme the text covers, with the first place that shows it."""
    out = []
    for theme, phrases in cues.get("themes", {}).items():
        for phrase in phrases:
            hit = next(((p, m) for p in paragraphs if (m := _find(phrase, p))), None)
            if hit:
                out.append({"theme": theme, "quote": hit[1].group()})
                break
    return out


def commitments(paragraphs: list[str], cues: dict) -> list[dict]:
    """Qualitative commitments of a known kind, quoted to the end of their clause."""
    out = []
    for kind, phrases in cues.get("commitments", {}).items():
        for phrase in phrases:
            hit = next(((p, m) for p in paragraphs if (m := _find(phrase, p))), None)
            if hit:
                par, m = hit
                end = re.search(r"[;.:(]|$", par[m.end():]).start() + m.end()
                out.append({"id": f"c{len(out) + 1:02d}", "kind": kind, "quote": par[m.start():end].rstrip(" ,")})
                break
    return out


_TASK_HEAD = re.compile(r"^(?:\d+(?:\.\d+)*\.|[a-zđ]\)|-)?\s*(?:Đối với\s+)?(?P<name>[^:;,.()]{3,90}?)\s*(?::|$)")


def tasks(paragraphs: list[str], alias_index: dict[str, str]) -> list[dict]:
    """Agencies named as a heading or at the start of a paragraph, with the first sentence of their task."""
    out, seen = [], set()
    for i, par in enumerate(paragraphs):
        m = _TASK_HEAD.match(par)
        if not m or fold(m["name"]) not in alias_index:
            continue
        name = m["name"].strip()
        rest = par[m.end():].strip()
        if not rest and i + 1 < len(paragraphs):  # a heading: the task is the next paragraph
            rest = paragraphs[i + 1]
            quote = re.split(r"(?<=[.;])\s", rest, maxsplit=1)[0].rstrip(".;").lstrip("-+• ")
        else:
            quote = re.split(r"(?<=[.;])\s", par[m.start("name"):], maxsplit=1)[0].rstrip(".;")
        key = (fold(name), quote)
        if quote and key not in seen:
            seen.add(key)
            out.append({"agency": name, "role": "chủ trì" if "chủ trì" in quote else "thực hiện", "quote": quote})
    return out
