"""Stage 5d, publish: files that describe the finished site: the Frictionless data package,
the one-ZIP data release, and sitemap.xml.

They are computed from the other files of the build, so they always describe
exactly what is published. The ZIP is deterministic (fixed timestamps, sorted).
"""
from __future__ import annotations

import io
import zipfile
from collections import ChainMap
from collections.abc import Mapping
from typing import BinaryIO
from xml.sax.saxutils import escape

import orjson

from . import urls
from .export import DICTIONARY, FORMULA_NOTE, VERSION_FIELD
from .model import Corpus

# Frictionless field types of every download column (everything else is a string).
FIELD_TYPES = {
    "year": "integer", "period_end": "integer", "n_targets": "integer", "n_parts": "integer", "excerpt": "boolean",
    "issued": "date", "value": "number", "value_max": "number", "deadline": "integer",
    "start": "integer", "end": "integer", "cited_by": "integer",
    "in_force_from": "date", "replaced_from": "date", "valid_from": "date", "valid_to": "date",
}
PRIMARY_KEYS = {"plans": ["plan_id"], "targets": ["plan_id", "target_id"], "legal": ["legal_id"],
                "scope": ["plan_id", "aspect", "id"], "comparability": ["plan_id", "target_id"],
                "commitments": ["plan_id", "commitment_id"], "provinces": ["province_id"]}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def datapackage(corpus: Corpus) -> bytes:
    """datapackage.json describing every file of the data release (the ZIP): each table's CSV (fields,
    types, descriptions) and its JSON twin, and each source text; with the licence and sources."""
    resources = []
    for name, (description, fields) in DICTIONARY.items():
        schema = {"fields": [{"name": f, "type": FIELD_TYPES.get(f, "string"), "description": d}
                             for f, d in (*fields, VERSION_FIELD)],
                  "missingValues": [""]}
        if name in PRIMARY_KEYS:
            schema["primaryKey"] = PRIMARY_KEYS[name]
        resources.append({"name": name, "path": urls.in_data(urls.table_csv_path(name)), "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                          "description": description, "schema": schema})
    # The JSON twin of each table: the same rows, as an array of objects with the CSV's field names.
    resources += [{"name": f"{name}-json", "path": urls.in_data(urls.table_json_path(name)), "profile": "data-resource",
                   "format": "json", "mediatype": "application/json", "encoding": "utf-8",
                   "description": f"{name}.csv as JSON: an array of objects, one per row, with the same fields "
                                  f"(see the resource {name}); empty values are null or \"\"."}
                  for name in DICTIONARY]
    titles = {p.source_file: f"{p.doc_type} {p.number or ''} — {p.province} {p.year}".replace("  ", " ")
              for p in corpus.plans}
    resources += [{"name": "source-" + urls.in_data(urls.source_path(f)).rsplit("/", 1)[-1].rsplit(".", 1)[0].lower(),
                   "path": urls.in_data(urls.source_path(f)), "profile": "data-resource", "format": "txt",
                   "mediatype": "text/plain", "encoding": "utf-8",
                   "description": f"The source text of {title}, verbatim (Unicode NFC), as the plan's page shows it."}
                  for f, title in sorted(titles.items(), key=lambda kv: urls.source_path(kv[0]))]
    sources = [{"title": titles[p.source_file], "path": urls.in_data(urls.source_path(p.source_file))}
               for p in corpus.plans]
    package = {
        "profile": "data-package",
        "name": "ke-hoach-so-sanh",
        "title": "Kế hoạch so sánh: chỉ tiêu, nhiệm vụ và căn cứ pháp lý của kế hoạch phòng, chống tệ nạn xã hội",
        "description": "Quantified targets, tasks by agency, themes and legal citations of Vietnamese provincial "
                       "plans against social evils, each with its verbatim quote. " + FORMULA_NOTE,
        "version": corpus.data_version,
        "licenses": [{"name": corpus.settings.licence_id, "title": corpus.settings.licence_title,
                      "path": corpus.settings.licence_url}],
        "sources": sources,
        "resources": resources,
    }
    return orjson.dumps(package, option=orjson.OPT_INDENT_2) + b"\n"


def data_readme(corpus: Corpus) -> bytes:
    """README.md of the data release: what is in it, the licence and the data dictionary."""
    lines = ["# Kế hoạch so sánh: dữ liệu / data", "", f"Phiên bản dữ liệu / data version: {corpus.data_version}",
             "", "Licence: CC BY 4.0 (data). The source texts belong to their issuing bodies.", "",
             "Every target carries the verbatim quote it came from; empty cells mean unknown.", "",
             FORMULA_NOTE, "",
             "Each plan's own JSON record, and each chart's data (CSV), are on the site beside its page: they are "
             "rows of these tables.", "",
             "Every table below is also given as JSON (`plans.json` beside `plans.csv`, ...): the same rows, as an "
             "array of objects with the same fields. `sources/` holds each plan's source text, verbatim (UTF-8, "
             "NFC). datapackage.json describes every one of these files.", "",
             "## Files", ""]
    for name, (description, fields) in DICTIONARY.items():
        lines += [f"### {name}.csv", "", description, "", "| field | meaning |", "|---|---|"]
        lines += [f"| `{f}` | {d} |" for f, d in (*fields, VERSION_FIELD)]
        lines.append("")
    lines += ["## Sources", ""]
    lines += [f"- {p.province} {p.year}: `{p.source_file}` ({p.source_kind}). {p.provenance}" for p in corpus.plans]
    return ("\n".join(lines) + "\n").encode("utf-8")


LICENCE_TEXT = (b"The data in this release (CSV and JSON files) is licensed under the Creative Commons "
                b"Attribution 4.0 International licence: https://creativecommons.org/licenses/by/4.0/\n"
                b"Credit: Ke hoach so sanh, and the issuing bodies of the source documents.\n"
                b"The source texts under sources/ are official documents and press material reproduced "
                b"verbatim for reference; they belong to their authors.\n")


def release_zip(files: Mapping[str, bytes], corpus: Corpus, fh: BinaryIO | None = None) -> bytes | None:
    """One deterministic ZIP with all data, the data package, dictionary, licence and README.

    `files` may be lazy (read from the staged site): only the data files are read, one at a time.
    Written to `fh` when given (a national corpus' ZIP is hundreds of MB: never all in memory),
    else returned."""
    # Per-plan files (data/plans/) and chart data (data/charts/) are subsets of the tables, kept on
    # the site for their pages: in the ZIP they would only double its size and the time to make it.
    names = {urls.in_data(path): path for path in files
             if path.startswith(urls.DATA) and not path.startswith((urls.CHART_DATA, urls.PLAN_DATA))
             and not path.endswith(".zip")}
    extra = {"README.md": data_readme(corpus), "LICENSE.txt": LICENCE_TEXT}
    buf = fh if fh is not None else io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(set(names) | set(extra)):
            info = zipfile.ZipInfo(f"ke-hoach-so-sanh-{corpus.data_version}/{name}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, extra[name] if name in extra else files[names[name]])
    return None if fh is not None else buf.getvalue()


def sitemap(paths: list[str], base_url: str) -> bytes:
    """sitemap.xml of every HTML page but embeds; absolute when the site's base URL is known."""
    pages = [p for p in sorted(paths) if p.endswith(".html") and f"/{urls.EMBEDS}" not in f"/{p}"
             and not p.startswith(f"{urls.PAGEFIND}/")]
    body = "".join(f"  <url><loc>{escape(urls.absolute(base_url, u))}</loc></url>\n" for u in pages)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}</urlset>\n').encode("utf-8")


def release_files(files: Mapping[str, bytes], corpus: Corpus, base_url: str) -> dict:
    """datapackage.json, the data ZIP, the data README and sitemap.xml, from the finished files.
    Each value is the file's bytes, or for the ZIP a function that writes it into a binary file."""
    out: dict = {urls.DATAPACKAGE: datapackage(corpus), urls.DATA_README: data_readme(corpus),
                 urls.DATA_LICENCE: LICENCE_TEXT}
    members = ChainMap(dict(out), files)
    out[urls.release_zip_path(corpus.data_version)] = lambda fh: release_zip(members, corpus, fh)
    out[urls.SITEMAP] = sitemap(list(files), base_url)
    return out
