"""Stage 5d, publish: files that describe the finished site: the Frictionless data package,
the one-ZIP data release, and sitemap.xml.

They are computed from the other files of the build, so they always describe
exactly what is published. The ZIP is deterministic (fixed timestamps, sorted).
"""
from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from collections import ChainMap
from collections.abc import Mapping
from typing import BinaryIO
from html import escape

import orjson

from . import deps, urls
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


ZIP_CHUNK = 900  # members looked up in the store at a time (BuildDB.get_many's chunk)
# A per-plan table's file is compressed in groups of about this many plans' pieces (export.table_pieces),
# each group on its own and kept: an edit of one plan compresses its group again, not the whole file
# (targets.json, 100 MB at 10,000 plans, took 0.8 s). Each plan alone would be five times the bytes
# (a plan's rows repeat the other plans' words); groups of 128 are 6 % more than the file compressed whole.
PIECES_PER_GROUP = 128
_END = b"\x03\x00"  # the empty last block of a raw deflate stream (what compressobj().flush() gives for nothing)


def release_zip(files: Mapping[str, bytes], corpus: Corpus, fh: BinaryIO | None = None, *,
                hashes: Mapping[str, str] | None = None, packed=None, readme: bytes | None = None,
                names: dict[str, str] | None = None, pieces: Mapping[str, list] | None = None) -> bytes | None:
    """One deterministic ZIP with all data, the data package, dictionary, licence and README.

    `files` may be lazy (read from the staged site): only the data files are read, one at a time.
    Written to `fh` when given (a national corpus' ZIP is hundreds of MB: never all in memory),
    else returned. hashes: the hash of some files' bytes (the staged site's); packed: a store
    (get(hash), put(hash, value): the build database) of members compressed by earlier builds, by
    the hash of their bytes: a member whose bytes are unchanged is not read nor compressed again.
    readme, names: data_readme(corpus) and _members(files), when made already (release_files). pieces:
    site path -> the pieces some files are the join of (export.zip_pieces): such a member is compressed
    in groups of pieces (_grouped), each kept in `packed`."""
    names = _members(files) if names is None else names
    extra = {"README.md": data_readme(corpus) if readme is None else readme, "LICENSE.txt": LICENCE_TEXT}
    buf = fh if fh is not None else io.BytesIO()
    # The members compressed in groups, by name -> their site path (their pieces are made when needed).
    grouped = {name: path for name, path in names.items() if path in pieces} if pieces and packed is not None else {}
    if grouped:
        packed.keep([_groups_key(name) for name in grouped])  # kept, whether their member is made again or not
    order = sorted(set(names) | set(extra))
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for at in range(0, len(order), ZIP_CHUNK):
            chunk = order[at:at + ZIP_CHUNK]
            h = {name: _member_key(name, _digest(extra[name]) if name in extra else (hashes or {}).get(names[name]),
                                   grouped) for name in chunk}
            # The kept members of a chunk in one query (a national corpus' ZIP has 10,000 source
            # documents: one query each was most of its time); a chunk at a time, not all in memory.
            kept = packed.get_many([v for v in h.values() if v]) if packed is not None else None
            # The kept groups of the members compressed in groups that are made again, in one query too.
            again = [_groups_key(name) for name in chunk if name in grouped and kept.get(h[name]) is None]
            old_groups = packed.get_many(again) if again else {}
            for name in chunk:
                info = zipfile.ZipInfo(f"ke-hoach-so-sanh-{corpus.data_version}/{name}", date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                read = (lambda name=name: extra[name]) if name in extra else (lambda name=name: files[names[name]])
                _write_member(zf, info, read, h[name], packed, kept,
                              groups=(_groups_key(name), pieces[grouped[name]], old_groups.get(_groups_key(name)))
                              if name in grouped else None)
    return None if fh is not None else buf.getvalue()


def _members(files: Mapping[str, bytes]) -> dict[str, str]:
    """The data files the ZIP holds: their name in it -> their site path."""
    # Per-plan files (data/plans/) and chart data (data/charts/) are subsets of the tables, kept on
    # the site for their pages: in the ZIP they would only double its size and the time to make it.
    return {urls.in_data(path): path for path in files
            if path.startswith(urls.DATA) and not path.startswith((urls.CHART_DATA, urls.PLAN_DATA))
            and not path.endswith(".zip")}


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _member_key(name: str, h: str | None, grouped) -> str | None:
    """The key a member compressed is kept under in the store, from the hash of its bytes (h): a member
    compressed in groups (_grouped) differs from the same bytes compressed whole (an empty table's "[]")."""
    return f"{h} grouped" if h and name in grouped else h


def _groups_key(name: str) -> str:
    """The key a member's compressed groups are kept under in the store (_grouped): its name, the code and
    the zlib that compressed them."""
    return f"groups {name} {deps.code_digest('sitegen.publish')} zlib {zlib.ZLIB_RUNTIME_VERSION}"


def _grouped(pieces: list, key: str, packed, old: dict | None) -> tuple[bytes, int]:
    """The raw deflate bytes of the join of some pieces (export.table_pieces) and its size: the pieces
    in groups, each ending after a piece whose key's digest is a multiple of PIECES_PER_GROUP (set by
    content, not position: a plan added or removed changes its own group and at most the next, not every
    group after it); each group compressed on its own, ended on a byte boundary (a sync flush), so that
    the groups' bytes joined and an empty last block are one deflate stream. The groups are kept in
    `packed` under `key`, a dict by the digest of their pieces' keys (old: as kept there before, or None):
    unchanged ones are not compressed again."""
    groups: list[list] = [[]]
    for piece in pieces:
        groups[-1].append(piece)
        if int.from_bytes(hashlib.blake2b(piece[0].encode(), digest_size=4).digest(), "big") % PIECES_PER_GROUP == 0:
            groups.append([])
    old, new = old or {}, {}
    out, size = [], 0
    for group in (g for g in groups if g):
        gk = _digest("\n".join(k for k, _ in group).encode())
        done = new.get(gk) or old.get(gk)
        if done is None:
            comp = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
            parts = [part for _, read in group for part in read()]
            done = b"".join([*(comp.compress(part) for part in parts), comp.flush(zlib.Z_SYNC_FLUSH)]), sum(map(len, parts))
        new[gk] = done
        out.append(done[0])
        size += done[1]
    packed.put(key, new)
    return b"".join([*out, _END]), size


def _write_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, read, h: str | None, packed,
                  kept: Mapping | None = None, *, groups: tuple[str, list, dict | None] | None = None) -> None:
    """Add one member, compressed as ZipFile.writestr does it (the same bytes: tests compare them),
    from `packed` when it holds the member's hash (h), else compressed now and kept there. kept: what
    `packed` holds of some hashes, looked up before (then `packed` is not asked again). groups: the
    key, pieces and kept groups of a member compressed in groups of pieces instead (_grouped).

    zipfile has no way to add bytes compressed before: this writes the local header and data at the
    archive's end as ZipFile._open_to_write and _ZipWriteFile.close do, and registers the member for
    the central directory that ZipFile.close writes."""
    if kept is not None:
        member = kept.get(h) if h else None
    else:
        member = packed.get(h) if packed is not None and h else None
    if member is None:
        data = read()
        raw, size = _grouped(groups[1], groups[0], packed, groups[2]) if groups is not None else (b"", -1)
        if size != len(data):  # not pieces of it (never, as export makes them): compressed whole
            comp = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
            raw = comp.compress(data) + comp.flush()
        member = (zlib.crc32(data), len(data), raw)
        if packed is not None and h:
            packed.put(h, member)
    info.CRC, info.file_size, raw = member
    info.compress_size = len(raw)
    info.flag_bits = 0
    zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT
    zf.fp.seek(zf.start_dir)
    info.header_offset = zf.fp.tell()
    zf._writecheck(info)
    zf._didModify = True
    zf.fp.write(info.FileHeader(zip64))
    zf.fp.write(raw)
    zf.start_dir = zf.fp.tell()
    zf.filelist.append(info)
    zf.NameToInfo[info.filename] = info


def zip_key(files: Mapping[str, bytes], corpus: Corpus, hashes: Mapping[str, str], *,
            readme: bytes | None = None, names: dict[str, str] | None = None) -> str:
    """What the ZIP is made of: each member's name and hash, and the code that makes it ("" when a
    member's hash is not known): a ZIP whose key is unchanged need not be made again. readme, names:
    as release_zip takes them."""
    names = _members(files) if names is None else names
    if not all(hashes.get(path) for path in names.values()):
        return ""
    parts = [deps.code_digest("sitegen.publish"), corpus.data_version,
             _digest(data_readme(corpus) if readme is None else readme),
             *(f"{n} {hashes[p]}" for n, p in sorted(names.items()))]
    return _digest("\n".join(parts).encode())


def sitemap(paths: list[str], base_url: str) -> bytes:
    """sitemap.xml of every HTML page but embeds; absolute when the site's base URL is known."""
    pages = [p for p in sorted(paths) if p.endswith(".html") and f"/{urls.EMBEDS}" not in f"/{p}"
             and not p.startswith(f"{urls.PAGEFIND}/")]
    # html.escape without quotes: xml.sax.saxutils.escape's & < > (that module imports urllib, http and ssl).
    body = "".join(f"  <url><loc>{escape(urls.absolute(base_url, u), quote=False)}</loc></url>\n" for u in pages)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}</urlset>\n').encode("utf-8")


def release_files(files: Mapping[str, bytes], corpus: Corpus, base_url: str, *,
                  hashes: Mapping[str, str] | None = None, packed=None, pieces: Mapping[str, list] | None = None) -> dict:
    """datapackage.json, the data ZIP, the data README and sitemap.xml, from the finished files.
    Each value is the file's bytes, or for the ZIP a function that writes it into a binary file, with
    its `key` (zip_key, "" when unknown) and `keep()`, which keeps in `packed` what the next ZIP would
    take from there (to call when this one is not made: the ZIP of the previous build is the same).
    hashes, packed and pieces: see release_zip."""
    out: dict = {urls.DATAPACKAGE: datapackage(corpus), urls.DATA_README: data_readme(corpus),
                 urls.DATA_LICENCE: LICENCE_TEXT}
    members = ChainMap(dict(out), files)
    known = ChainMap({k: _digest(v) for k, v in out.items()}, hashes or {})
    # The README and the members' names once for the key and the ZIP (each was made twice: a line per
    # plan, a look at every file of the site).
    readme, names = out[urls.DATA_README], _members(members)

    def write_zip(fh: BinaryIO) -> None:
        release_zip(members, corpus, fh, hashes=known, packed=packed, readme=readme, names=names, pieces=pieces)

    def keep() -> None:
        # The rows of a build that made nothing of them are deleted from the store: without this, the
        # first ZIP made after a build that kept the ZIP compressed every member again.
        if packed is not None:
            grouped = {n for n, p in names.items() if p in (pieces or {})}
            packed.keep([*(_member_key(n, known.get(p), grouped) for n, p in names.items() if known.get(p)),
                         _digest(readme), _digest(LICENCE_TEXT), *(_groups_key(n) for n in grouped)])
    write_zip.key = zip_key(members, corpus, known, readme=readme, names=names) if hashes is not None else ""
    write_zip.keep = keep
    out[urls.release_zip_path(corpus.data_version)] = write_zip
    out[urls.SITEMAP] = sitemap(list(files), base_url)
    return out
