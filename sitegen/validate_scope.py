"""Stage 2, validate (continued): what a plan's scope says and how subjects and topics are related.

A plan's scope (its kinds and topics, each quoted from its title or căn cứ), a target's topics, the
families and broader entries of subjects and topics, and which of those lookup entries the plans use.
Called by validate.py and validate_corpus.py, with their checker (validate_fields.Checker).
"""
from __future__ import annotations

from .checks import short
from .model import Lookups, Problem, ScopeRef
from .textrender import text_blocks
from .textutil import squash
from .validate_fields import in_table, line_of

SCOPE_TABLES = ("plan_kinds", "subject_families")


def _text(ck, item: dict, key: str, where: str) -> str | None:
    """A required text field (validate_fields.text_field's rules for the fields here: present, text, not empty)."""
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        ck.error(f"{where}{key}", f"is missing or empty: give the {key} as text.", line_of(item, key) or
                 getattr(item, "line", None))
        return None
    return value.strip()


def check_hierarchies(plain: dict[str, dict], checker) -> None:
    """The subjects' families and broader subjects, the topics' broader topics; checker(table name)
    gives the checker of that table's file."""
    check_hierarchy(checker("subjects"), plain["subjects"], "subjects", families=plain["subject_families"])
    check_hierarchy(checker("themes"), plain["themes"], "themes")


def check_hierarchy(ck, table: dict[str, dict], name: str, families: dict[str, dict] | None = None) -> None:
    """Subjects name their family; subjects and topics may name a broader entry of the same table
    (and family): it must exist and the chain must not loop."""
    for k, v in table.items():
        if families is not None:
            if not v["family"]:
                ck.error(f"{k}.family", "is missing: every subject belongs to a family of "
                                        "corpus/subject_families.yaml (add `family: …`).", v["_line"])
            elif v["family"] not in families and "subject_families" not in ck.unchecked:
                ck.error(f"{k}.family", f"{v['family']!r} is not in corpus/subject_families.yaml: use one of "
                                        f"{', '.join(sorted(families))}, or add it there.", v["_line"])
        elif v["family"]:
            ck.error(f"{k}.family", f"only subjects have a family, not {name} entries.", v["_line"])
        broader = v["broader"]
        if not broader:
            continue
        if broader not in table or broader == k:
            ck.error(f"{k}.broader", f"{broader!r} is not another entry of corpus/{name}.yaml.", v["_line"])
        elif families is not None and table[broader]["family"] != v["family"]:
            ck.error(f"{k}.broader", f"{broader!r} is in family {table[broader]['family']!r}, not "
                                     f"{v['family']!r}: a broader subject is of the same family.", v["_line"])
        else:
            seen, step = {k}, broader
            while step:
                if step in seen:
                    ck.error(f"{k}.broader", "the chain of broader entries loops back to "
                                             f"{step!r}: one of them must be the broadest.", v["_line"])
                    break
                seen.add(step)
                step = table.get(step, {}).get("broader", "")


def target_topics(ck, t: dict, where: str, lk: Lookups) -> tuple[str, ...]:
    """A target's topics: ids of corpus/themes.yaml its quote is about (optional: absent is not coded)."""
    value = t.get("topics")
    if value is None:
        return ()
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        ck.error(f"{where}topics", "must be a list of topic ids of corpus/themes.yaml ([ma-tuy, mai-dam]).",
                 line_of(t, "topics"))
        return ()
    out = []
    for v in value:
        if in_table(ck, t, "topics", where, v, lk.themes, "themes") is not None and v not in out:
            out.append(v)
    return tuple(out)


def opening(title: str | None, body: str, blocks: list[tuple[int, str]] | None = None) -> list[str]:
    """Where a scope quote may come from: the title, and the text before its first `## ` heading
    (the document's title lines and căn cứ; a press report's headline and lead). `blocks`: the
    body's blocks as validate_plan has them, (first line, squashed text), so as not to parse it again."""
    head = body.split("\n## ", 1)[0] if not body.startswith("## ") else ""
    if blocks is not None and "\r" not in body:
        # A line starting "## " is always a heading here (textrender.markdown: no code blocks, no
        # fences), which ends any paragraph before it: the head's blocks are the body's blocks that
        # start above that line. Lines are counted at \n only, so a text with \r (which Markdown
        # also breaks lines at) is parsed on its own.
        if body.startswith("## "):
            opening = []
        elif len(head) < len(body):  # the first "## " heading is on the line after the head's last
            last = head.count("\n")
            opening = [text for line, text in blocks if line <= last]
        else:
            opening = [text for _, text in blocks]
    else:
        opening = [squash(b) for b in text_blocks(head)]
    return ([squash(title)] if title else []) + opening


def plan_scope(ck, data: dict, pid: str, opening: list[str], lk: Lookups) -> tuple[ScopeRef, ...]:
    """The plan's scope: `kinds` and `topics`, each with a quote from the title or the opening."""
    scope = data.get("scope")
    if scope is None:
        return ()
    if not isinstance(scope, dict):
        ck.error("scope", "must be a mapping with kinds and topics.", line_of(data, "scope"))
        return ()
    out: list[ScopeRef] = []
    for key, aspect, table, table_name in (("kinds", "kind", lk.plan_kinds, "plan_kinds"),
                                           ("topics", "topic", lk.themes, "themes")):
        items = scope.get(key)
        if not isinstance(items, list) or not items:
            ck.error(f"scope.{key}", f"must be a list of at least one {{{aspect}, quote}}: the plan's {key} as its "
                                     "title or căn cứ states them.", line_of(scope, key) or line_of(data, "scope"))
            continue
        seen: set[str] = set()
        for i, item in enumerate(items):
            where = f"scope.{key}[{i}]."
            if not isinstance(item, dict):
                ck.error(f"scope.{key}[{i}]", f"must be a mapping with {aspect} and quote.", line_of(items, i))
                continue
            ident = in_table(ck, item, aspect, where, _text(ck, item, aspect, where), table, table_name)
            if ident in seen:
                ck.error(f"{where}{aspect}", f"{ident!r} is given twice.", line_of(item, aspect))
                continue
            quote = _text(ck, item, "quote", where)
            if quote is not None and not any(squash(quote) in block for block in opening):
                ck.error(f"{where}quote", f"is not found verbatim in the plan's title or in its text before the "
                                          f"first `## ` heading (title lines, căn cứ): {short(quote)!r}.",
                         line_of(item, "quote"))
                continue
            if ident and quote:
                seen.add(ident)
                out.append(ScopeRef(pid, aspect, ident, quote))
    return tuple(out)


def scope_usage(plans, lookups: Lookups) -> dict[str, set[str]]:
    """The lookup entries the scopes, the targets' topics and the hierarchies use (beyond the targets'
    subjects and the plans' themes, which validate counts itself)."""
    return {
        "subjects": {v.broader for v in lookups.subjects.values() if v.broader},
        "themes": {s.id for p in plans for s in p.scope} | {x for p in plans for t in p.targets for x in t.topics},
        "plan_kinds": {s.id for p in plans for s in p.scope},
        "subject_families": {v.family for v in lookups.subjects.values()},
    }


def unused_lookups(plans, lookups: Lookups, tp: dict[str, str], problems: list[Problem]) -> None:
    """A warning for every lookup entry no plan uses (tp: each table's file, as errors name it)."""
    used = {
        "taxonomy": {t.category for p in plans for t in p.targets},
        "subjects": {t.subject for p in plans for t in p.targets},
        "units": {t.unit for p in plans for t in p.targets},
        "themes": {t.theme for p in plans for t in p.themes},
        "agencies": {t.agency for p in plans for t in p.tasks},
        "commitments": {c.kind for p in plans for c in p.commitments},
    }
    for name, ids in scope_usage(plans, lookups).items():
        used[name] = used.get(name, set()) | ids
    defined = {"taxonomy": lookups.categories, "subjects": lookups.subjects, "units": lookups.units,
               "themes": lookups.themes, "agencies": lookups.agencies, "commitments": lookups.commitment_kinds,
               **{name: getattr(lookups, name) for name in SCOPE_TABLES}}
    for name, ids in defined.items():
        for ident in sorted(set(ids) - used[name]):
            problems.append(Problem("warning", tp.get(name, name), f"field {ident}",
                                    "is defined but no plan uses it."))
